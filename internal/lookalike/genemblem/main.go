// Command genemblem writes the default pack's placeholder emblem as a PNG
// (internal/policy/packs/emblem.png).
package main

import (
	"flag"
	"image/png"
	"log"
	"os"

	"github.com/herald-gov/herald/internal/lookalike"
)

func main() {
	out := flag.String("o", "../policy/packs/emblem.png", "output PNG")
	size := flag.Int("size", 256, "width and height in pixels")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, lookalike.PlaceholderEmblem(*size)); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
