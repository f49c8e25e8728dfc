/** The browser-like client lives in scripts/lib so benchmarks share it. */
export { HttpClient } from '../../scripts/lib/http-client';
