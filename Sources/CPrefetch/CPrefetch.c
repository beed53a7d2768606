// The module is header-only (CPrefetch.h); SwiftPM needs one source file.
#include "CPrefetch.h"
