#ifndef VALKITE_CSQLITE_SHIM_H
#define VALKITE_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift
/// cannot import: SQLite copies the bound bytes before the call returns.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// fsync()s the write-ahead log of the "main" database of `db` through SQLite's
/// own file handle (SQLITE_FCNTL_JOURNAL_POINTER returns the WAL file in WAL
/// mode). Returns SQLITE_NOTFOUND when no WAL file is open yet.
/// Must be called by the thread that owns the connection, between transactions.
static inline int csqlite_sync_wal(sqlite3 *db) {
    sqlite3_file *file = 0;
    int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file);
    if (rc != SQLITE_OK) return rc;
    if (file == 0 || file->pMethods == 0) return SQLITE_NOTFOUND;
    return file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

/// Whether the file of the "main" database was unlinked or replaced since it
/// was opened (SQLITE_FCNTL_HAS_MOVED): writes would go to a file nobody sees.
static inline int csqlite_has_moved(sqlite3 *db, int *moved) {
    *moved = 0;
    return sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, moved);
}

/// Not SQLite's, but Storage's only C bridge: gives the heap's free pages
/// back to the system (glibc `malloc_trim`, which Swift's Glibc module does
/// not export). Returns 1 when memory was released.
#include <stdlib.h> /* defines __GLIBC__ (through features.h); sqlite3.h does not */
#ifdef __GLIBC__
#include <malloc.h>
static inline int csqlite_release_free_heap(void) {
    return malloc_trim(0);
}
#else
static inline int csqlite_release_free_heap(void) { return 0; }
#endif

/// Process-wide settings, before the first connection opens: no memory
/// statistics (SQLITE_CONFIG_MEMSTATUS), which otherwise take a global mutex
/// on every SQLite allocation and showed in the materializer's profile.
static inline int csqlite_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
