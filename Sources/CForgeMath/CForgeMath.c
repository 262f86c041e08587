// CForgeMath is header-only (see include/CForgeMath.h); SwiftPM needs one source file per C target.
#include "CForgeMath.h"
