import "server-only";

export { createEventBus, eventBus, type EventBus, type Relay, type JobEvent, type ProxyEvent, type StatusEvent, type Topic, type Topics } from "./bus";
export { EVENT_CHANNEL, startEventRelay, type EventRelay } from "./relay";
