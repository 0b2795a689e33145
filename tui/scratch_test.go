package tui

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	in := FromResult(exampleResult(t))
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m := loaded(t, in, sz[0], sz[1])
		fmt.Println(screen(m))
		press(t, m, "tab")
		fmt.Println(screen(m))
	}
}
