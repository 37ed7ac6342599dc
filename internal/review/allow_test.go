package review_test

import "github.com/herald-gov/herald/internal/outbound"

// testAllow lets the guarded client reach the local fake platforms.
var testAllow, _ = outbound.ParseAllow("127.0.0.1,::1")
