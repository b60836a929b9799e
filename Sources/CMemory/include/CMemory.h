#ifndef MAXHUB_CMEMORY_H
#define MAXHUB_CMEMORY_H

/// Fixes glibc's mmap threshold at `bytes`: larger allocations are always mapped and returned to the system when freed,
/// instead of the threshold rising with each freed chunk until chunks stay in per-thread arenas. No-op elsewhere.
void maxhub_fix_mmap_threshold(int bytes);

#endif
