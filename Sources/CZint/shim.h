#include <zint.h>

/* zint keeps a symbol's modules as bits; Swift sees encoded_data as nested tuples, so read it here. */
static inline int nightjar_zint_module(const struct zint_symbol *symbol, int row, int column) {
    return (symbol->encoded_data[row][column >> 3] >> (column & 7)) & 1;
}
