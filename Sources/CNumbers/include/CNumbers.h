#ifndef VALKITE_CNUMBERS_H
#define VALKITE_CNUMBERS_H

#include <stddef.h>

/// snprintf(buffer, size, "%.17Lf", value): Valkey's ld2string(LD_STR_HUMAN)
/// before its trailing zeros are cut. Called directly because Swift's
/// withVaList boxes every argument in an existential and casts it back, a
/// dynamic cast per INCRBYFLOAT/HINCRBYFLOAT.
int valkite_format_long_double(char *buffer, size_t size, long double value);

#endif
