import type { RegisterCommand } from "../context";
import { registerKeygen } from "./keygen";
import { registerSign } from "./sign";
import { registerVerify } from "./verify";
import { registerKeyImage } from "./keyImage";
import { registerHashToPoint } from "./hashToPoint";

export const COMMANDS: RegisterCommand[] = [registerKeygen, registerSign, registerVerify, registerKeyImage, registerHashToPoint];
