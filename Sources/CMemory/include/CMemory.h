#ifndef MAXHUB_CMEMORY_H
#define MAXHUB_CMEMORY_H

/// Keeps a streaming server's heap flat on glibc: allocations of at least `bytes` are always mapped and returned to the
/// system when freed (instead of the threshold rising with each freed chunk until chunks stay in the heap), and at most
/// two malloc arenas are kept, however many threads the event loops, file I/O and tasks use. No-op elsewhere.
void maxhub_fix_mmap_threshold(int bytes);

#endif
