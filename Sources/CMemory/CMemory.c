#include "CMemory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void maxhub_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_ARENA_MAX, 2);
#else
    (void)bytes;
#endif
}
