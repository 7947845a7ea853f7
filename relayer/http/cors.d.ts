/** The part of `cors` the relayer uses. @types/cors is not installed; when it is, delete this file. */
declare module "cors" {
  import type { RequestHandler } from "express";
  interface CorsOptions {
    origin?: boolean | string | string[];
    methods?: string[];
  }
  function cors(options?: CorsOptions): RequestHandler;
  export = cors;
}
