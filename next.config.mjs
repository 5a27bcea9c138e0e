import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so a running `npm run dev` keeps its .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Type checking is its own step (`npm run typecheck` in CI); skipping it here keeps test builds fast and
  // independent of test-only files.
  typescript: { ignoreBuildErrors: true },
  // The dev server blocks its dev resources for origins it does not know; http://127.0.0.1:3000/admin would stay blank.
  allowedDevOrigins: ['localhost', '127.0.0.1', '[::1]'],
  // The app has no public pages: the admin is its home.
  redirects: async () => [{ source: '/', destination: '/admin', permanent: false }],
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
