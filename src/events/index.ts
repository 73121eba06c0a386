// The events capability's public face: the event contract, intake, and the log others follow. Nothing
// else of this folder may be imported from outside it; its repository and tables stay inside.
export {
  EnvelopeSchema,
  EVENT_TYPES,
  EventData,
  type EventDataOf,
  type EventOf,
  type EventType,
  LIMITS,
  type MarketEvent,
  merchantOf,
} from './contract.ts';
export type { Behind, EventLog, FollowOptions, LogFollower, LoggedEvent, PageHandler } from './log.ts';
// Its tables, for the composition root to register
export { migrations } from './migrations/index.ts';
export {
  type LineBatch,
  lineStarts,
  parseLine,
  parseNdjson,
  type RawRecord,
  readNdjsonFile,
  readNdjsonLines,
  type TextSource,
} from './ndjson.ts';
export { eventSchemaId, eventSchemas, eventsRoutes } from './routes.ts';
export {
  type Checked as CheckedBatch,
  EventsService,
  type EventTopics,
  type IngestResult,
} from './service.ts';
export {
  type Checked as CheckedEvent,
  checkEvent,
  type FieldError,
  parseTime,
  type Rejection,
} from './validate.ts';
