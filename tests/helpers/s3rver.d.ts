/** The part of s3rver 3.7 (no bundled types) the S3 tests use. */
declare module 's3rver' {
  type Options = {
    address?: string
    port?: number
    directory?: string
    silent?: boolean
    resetOnClose?: boolean
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[]
  }
  export default class S3rver {
    constructor(options?: Options)
    run(): Promise<{ address: string; port: number }>
    close(): Promise<void>
  }
}
