// How far V8 lets this process's heap grow past what it holds. A polling process keeps a socket, an undici request
// and a promise chain alive per held phone for a whole wait (≈ 20 KB each, ~225 MB at 10,000 phones), and allocates
// fast while answers come in. V8's default growth on a machine with GBs of memory is up to 4× the live heap after
// each full collection, so at 10,000 phones the heap sat at ~2.5× what it held and RSS reached ~750 MB. A fixed
// factor of 1 + HEAP_GROWING_PERCENT/100 keeps RSS near what the process holds, for more frequent full collections
// (BENCHMARKS.md: 25/50 % against V8's default). The V8 flag is read at every collection, so setting it after start
// works; the hard heap limit stays V8's own (no out-of-memory at a lower fleet size).
import { setFlagsFromString } from "node:v8";

let applied: number | null = null;

/** Sets the growth factor once per process (0 = V8's default, left alone). */
export function limitHeapGrowth(percent: number): void {
  if (percent <= 0 || applied === percent) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  applied = percent;
}
