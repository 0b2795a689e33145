package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
)

// File is a file of the final file system with its size.
type File struct {
	Path  analyze.PathID
	Size  int64
	Layer int
}

// BiggestFiles lists the final file system's regular files by size
// (all of them when top is 0).
func BiggestFiles(r *analyze.Result, top int) []File {
	if len(r.Layers) == 0 {
		return nil
	}
	var out []File
	r.View(len(r.Layers) - 1).Walk(func(id analyze.PathID, e *analyze.Entry) bool {
		if e != nil && e.Type == layer.File && e.Size > 0 {
			out = append(out, File{id, e.Size, int(e.Layer)})
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size > out[j].Size })
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

// Size formats bytes for people (decimal units, like docker and dive).
func Size(n int64) string {
	if n < 0 {
		return "?"
	}
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	f := float64(n)
	i := -1
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}

// Percent formats a ratio as a percentage.
func Percent(f float64) string { return fmt.Sprintf("%.1f %%", f*100) }

// DivePercent prints a dive ratio as dive's CI output does ("7.3853 %",
// "NaN %" where dive divides by zero).
func DivePercent(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN %"
	case math.IsInf(f, 1):
		return "+Inf %"
	}
	return strconv.FormatFloat(f*100, 'f', 4, 64) + " %"
}

func modeString(m uint32) string { return fmt.Sprintf("%04o", m) }
