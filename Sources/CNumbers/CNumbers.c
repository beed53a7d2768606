#include "CNumbers.h"

#include <stdio.h>

int valkite_format_long_double(char *buffer, size_t size, long double value) {
    return snprintf(buffer, size, "%.17Lf", value);
}
