package rules

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-dev/strata/lint"
)

// allOn is a linter with every rule enabled, default-off and preview ones
// included: the harshest configuration for crash hunting.
func allOn() *lint.Linter {
	sev := map[string]lint.Severity{}
	for _, r := range All() {
		sev[r.Code] = r.Severity
	}
	return lint.New(All(), lint.Options{Preview: true, Severity: sev})
}

func corpusFiles(tb testing.TB) []string {
	var files []string
	for _, pattern := range []string{"files/*", "edge/*", "contexts/*/Dockerfile*", "contexts/*/*/Dockerfile*"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", pattern))
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Skip("../shared/corpus is absent")
	}
	return files
}

// TestCorpusNeverFails lints every shared corpus file with every rule on:
// no rule may panic, and every file must produce a result.
func TestCorpusNeverFails(t *testing.T) {
	files := corpusFiles(t)
	if testing.Short() {
		files = files[:len(files)/20]
	}
	l := allOn()
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				data, err := os.ReadFile(p)
				if err != nil {
					mu.Lock()
					t.Errorf("%s: %v", p, err)
					mu.Unlock()
					continue
				}
				res := l.Lint(lint.NewSource(p, data))
				mu.Lock()
				for _, e := range res.RuleErrors {
					t.Errorf("%s: %v", p, firstLine(e.Error()))
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range files {
		work <- p
	}
	close(work)
	wg.Wait()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// BenchmarkCorpus lints the whole visible corpus with every rule on, on
// all cores, as `strata lint` does. ns/op is the time for all files.
func BenchmarkCorpus(b *testing.B) {
	files := corpusFiles(b)
	data := make([][]byte, len(files))
	for i, p := range files {
		data[i], _ = os.ReadFile(p)
	}
	l := allOn()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		var next int64 = -1
		var mu sync.Mutex
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					next++
					i := next
					mu.Unlock()
					if int(i) >= len(data) {
						return
					}
					l.Lint(lint.NewSource(files[i], data[i]))
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
}

// BenchmarkLintFile lints one 100-line Dockerfile.
func BenchmarkLintFile(b *testing.B) {
	data := []byte(hundredLines())
	l := allOn()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		l.Lint(lint.NewSource("Dockerfile", data))
	}
}

func hundredLines() string {
	var sb strings.Builder
	sb.WriteString("# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE} AS build\nWORKDIR /src\n")
	for sb.Len() < 3500 {
		sb.WriteString("RUN apt-get update \\\n && apt-get install -y --no-install-recommends gcc make \\\n && rm -rf /var/lib/apt/lists/*\n")
		sb.WriteString("COPY src/ /src/\nENV PATH=/opt/bin:$PATH\n")
		sb.WriteString("RUN pip install --no-cache-dir flask==3.0.3 && make -C /src\n")
	}
	sb.WriteString("FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /src/app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n")
	return sb.String()
}

// FuzzLint feeds arbitrary bytes through parsing and every rule: no
// panic, no hang.
func FuzzLint(f *testing.F) {
	edge, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "edge", "*"))
	for _, p := range edge {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, r := range All() {
		for _, ex := range r.Examples {
			f.Add([]byte(ex.Dockerfile))
		}
	}
	f.Add([]byte("FROM a\nRUN <<EOF\nx\n"))
	f.Add([]byte("# escape=`\nFROM a\nRUN a `\n\n b\nONBUILD RUN x\n"))
	l := allOn()
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan *lint.Result, 1)
		go func() { done <- l.Lint(lint.NewSource("Dockerfile", data)) }()
		select {
		case res := <-done:
			for _, e := range res.RuleErrors {
				t.Fatal(e)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("lint did not finish within 10s on %q", data)
		}
	})
}
