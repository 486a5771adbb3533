import "server-only";

export { createEventBus, eventBus, type EventBus, type JobEvent, type ProxyEvent, type StatusEvent, type Topic, type Topics } from "./bus";
