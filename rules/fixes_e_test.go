package rules

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// Cases too large for an example (a 2 MiB context file would fill the
// generated docs).

func TestST1002ChmodOfFileInsideCopiedDir(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	ex := lint.Example{
		Dockerfile: "FROM node:22\nCOPY . /app\nRUN chmod 755 /app/src/main.js\nRUN chmod 755 /app/src\nRUN chmod 644 /app/small.js\n",
		Context:    map[string]string{"src/main.js": big, "small.js": "x\n"},
	}
	diags := lintExample(t, ST1002, ex)
	if len(diags) != 1 || diags[0].Range.Start.Line != 3 || !strings.Contains(diags[0].Message, "`/app/src/main.js`") {
		t.Fatalf("want one finding on line 3 for /app/src/main.js, got %v", diags)
	}
}
