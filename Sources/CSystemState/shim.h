// What Swift's Glibc module does not carry: a file system's type (statfs) and whether the clock is
// synchronised (adjtimex), for `nightjar doctor`; malloc_trim, for the web server's memory.
#include <sys/statfs.h>
#include <sys/timex.h>
#include <malloc.h>
