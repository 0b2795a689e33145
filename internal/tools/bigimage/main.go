// Command bigimage writes the scale-test image: an OCI layout with a
// million small files (go run ./internal/tools/bigimage DIR [N]).
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bigimage DIR [FILES]")
		os.Exit(2)
	}
	n := 1_000_000
	if len(os.Args) > 2 {
		var err error
		if n, err = strconv.Atoi(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := testimg.WriteManyFiles(os.Args[1], n, 250_000); err != nil {
		fmt.Fprintln(os.Stderr, "bigimage:", err)
		os.Exit(1)
	}
}
