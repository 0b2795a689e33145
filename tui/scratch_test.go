package tui

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	in := FromResult(exampleResult(t))
	m := loaded(t, in, 80, 24)
	for _, k := range []string{"tab", "shift+tab k", "tab o", "o p", "/ s e r", "enter", "esc w", "j enter", "f", "j j", "shift+tab shift+tab j", "?"} {
		press(t, m, k)
		fmt.Println("==>", k)
		fmt.Println(screen(m))
	}
}
