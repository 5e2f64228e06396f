// What `nightjar doctor` asks the kernel and Swift's Glibc module does not carry: a file system's type
// (statfs) and whether the clock is synchronised (adjtimex).
#include <sys/statfs.h>
#include <sys/timex.h>
