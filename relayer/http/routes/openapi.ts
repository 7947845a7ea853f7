import type { Request, Response } from "express";
import { buildOpenApi } from "../openapi";
import type { AppContext } from "../context";

/** GET /v1/openapi.json */
export function openapiRoute(ctx: AppContext) {
  const doc = buildOpenApi(ctx.version);
  return (_req: Request, res: Response): void => {
    res.json(doc);
  };
}
