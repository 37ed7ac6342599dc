package web_test

import "github.com/herald-gov/herald/internal/outbound"

// extTestAllow lets the guarded client reach the local fake platforms.
var extTestAllow, _ = outbound.ParseAllow("127.0.0.1,::1")
