#ifndef VALKITE_CPREFETCH_H
#define VALKITE_CPREFETCH_H

#include <stddef.h>
#if defined(__linux__)
#include <malloc.h>
#endif

/// A hint to load the cache line holding `address` (read, keep in all cache
/// levels). Never faults, whatever the address. Swift has no prefetch intrinsic.
static inline void valkite_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Usable bytes of a malloc'd block (0 where unknown): bounds the search of
/// a sample object's fields when working out where a node keeps what to prefetch.
static inline size_t valkite_allocation_size(const void *block) {
#if defined(__linux__)
    return malloc_usable_size((void *)block);
#else
    (void)block;
    return 0;
#endif
}

#endif
