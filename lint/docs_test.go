package lint

import (
	"strings"
	"testing"
)

// Examples that differ only in their build context must not look the
// same on the rule's page.
func TestRuleMarkdownShowsContext(t *testing.T) {
	r := &Rule{Code: "ST9999", Name: "x", Examples: []Example{
		{Title: "Bad", Dockerfile: "FROM a\nCOPY . .\n", Want: []string{"2:1"},
			Context: map[string]string{"app.py": "print()\n", ".env": "A=1\nB=2\n", "big.bin": strings.Repeat("x", 500)}},
		{Title: "Good", Dockerfile: "FROM a\nCOPY . .\n",
			Context: map[string]string{".dockerignore": ".env\n", "app.py": "print()\n", "empty": ""}},
	}}
	md := RuleMarkdown(r)
	for _, want := range []string{
		"Build context:\n\n- `.env`:\n\n  ```text\n  A=1\n  B=2\n  ```\n\n- `app.py`: `print()`\n- `big.bin` (500 bytes)\n",
		"Build context:\n\n- `.dockerignore`: `.env`\n- `app.py`: `print()`\n- `empty` (empty)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks %q:\n%s", want, md)
		}
	}
}
