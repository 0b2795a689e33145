package lint

import "sort"

// segment maps a run of logical text (an instruction with its line
// continuations removed) back to the source bytes it came from.
type segment struct {
	logical int // offset in the logical text
	source  int // offset in Source.Data
	length  int
}

// textMap maps offsets in a logical text to source offsets. Segments are
// sorted and contiguous in logical space.
type textMap []segment

// find returns the index of the segment holding logical offset off; at a
// boundary, preferEnd picks the segment that ends there.
func (m textMap) find(off int, preferEnd bool) int {
	i := sort.Search(len(m), func(i int) bool {
		if preferEnd {
			return m[i].logical+m[i].length >= off
		}
		return m[i].logical+m[i].length > off
	})
	if i == len(m) {
		i = len(m) - 1
	}
	return i
}

// source maps a logical offset to a source offset. preferEnd matters only
// at the joint of two segments: an end offset belongs to the text before it.
func (m textMap) source(off int, preferEnd bool) int {
	if len(m) == 0 {
		return 0
	}
	var s segment
	if len(m) == 1 {
		s = m[0] // one physical line: most instructions
	} else {
		s = m[m.find(off, preferEnd)]
	}
	d := off - s.logical
	if d < 0 {
		d = 0
	}
	if d > s.length {
		d = s.length
	}
	return s.source + d
}

// shift returns the map of the logical text starting at logical offset off.
func (m textMap) shift(off int) textMap {
	out := make(textMap, 0, len(m))
	for _, s := range m {
		end := s.logical + s.length
		if end <= off && !(s.length == 0 && end == off) {
			continue
		}
		if s.logical < off {
			d := off - s.logical
			s = segment{logical: off, source: s.source + d, length: s.length - d}
		}
		s.logical -= off
		out = append(out, s)
	}
	return out
}

// appendText extends a map with n bytes of logical text taken from source
// offset src.
func (m textMap) appendText(logical, src, n int) textMap {
	if k := len(m); k > 0 {
		last := &m[k-1]
		if last.logical+last.length == logical && last.source+last.length == src {
			last.length += n
			return m
		}
	}
	return append(m, segment{logical: logical, source: src, length: n})
}
