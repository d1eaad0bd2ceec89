import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import type { AiGateway } from '../ai/gateway-types.js';
import type { Enforce } from '../plans/enforce.js';

/** What Turn and Mirror need: the database, the clock, the AI gateway (the only way to a model) and the plan gate. */
export type CoachDeps = { db: Db; clock: Clock; ai: AiGateway; enforce: Enforce };
