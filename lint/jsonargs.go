package lint

import (
	"encoding/json"
	"unicode"
)

type jsonSpan struct {
	start, end int // the string including its quotes
	value      string
}

// jsonStrings locates the strings of a JSON array of strings in text.
func jsonStrings(text string) ([]jsonSpan, bool) {
	i := 0
	skip := func() {
		for i < len(text) && unicode.IsSpace(rune(text[i])) {
			i++
		}
	}
	skip()
	if i >= len(text) || text[i] != '[' {
		return nil, false
	}
	i++
	var out []jsonSpan
	for {
		skip()
		if i < len(text) && text[i] == ']' {
			return out, true
		}
		if i >= len(text) || text[i] != '"' {
			return nil, false
		}
		start := i
		i++
		for i < len(text) && text[i] != '"' {
			if text[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(text) {
			return nil, false
		}
		i++
		var v string
		if err := json.Unmarshal([]byte(text[start:i]), &v); err != nil {
			return nil, false
		}
		out = append(out, jsonSpan{start: start, end: i, value: v})
		skip()
		if i < len(text) && text[i] == ',' {
			i++
			continue
		}
		if i < len(text) && text[i] == ']' {
			return out, true
		}
		return nil, false
	}
}
