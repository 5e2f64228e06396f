// libcups (Debian's libcups2-dev has no cups.pc): the header and `link "cups"` in module.modulemap.
#include <cups/cups.h>
