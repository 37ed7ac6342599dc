package check

import "runtime"

// checkSlots bounds how many checks run at once in the process: a check is
// CPU-bound, so more than one per core gains nothing, and each holds
// working memory linear in its post (about 13 bytes per byte). Without the
// bound, 32 parallel 1 MB posts held a gigabyte.
var checkSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
