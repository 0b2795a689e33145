// Command gen-example-image regenerates testdata/images/example, the image
// that `strata analyze oci:testdata/images/example` reads from a fresh
// clone. Its output is byte-for-byte reproducible.
package main

import (
	"fmt"
	"os"

	"github.com/strata-dev/strata/internal/tools/exampleimage"
)

func main() {
	dir := "testdata/images/example"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := exampleimage.Write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen-example-image:", err)
		os.Exit(1)
	}
}
