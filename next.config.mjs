import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so a running `npm run dev` keeps its .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Type checking is its own step (`npm run typecheck` in CI); skipping it here keeps test builds fast and
  // independent of test-only files.
  typescript: { ignoreBuildErrors: true },
  images: { localPatterns: [{ pathname: '/api/media/file/**' }] },
  serverExternalPackages: ['mongoose', 'sharp'],
  webpack: (webpackConfig) => {
    webpackConfig.resolve.extensionAlias = {
      '.cjs': ['.cts', '.cjs'],
      '.js': ['.ts', '.tsx', '.js', '.jsx'],
      '.mjs': ['.mts', '.mjs'],
    }
    return webpackConfig
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
