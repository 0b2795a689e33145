package attribution

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

func chainOf(t *testing.T, dockerfile, target string) *Chain {
	t.Helper()
	c, err := NewChain(lint.Parse(lint.NewSource("Dockerfile", []byte(dockerfile))), target)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// layerLines lists, per layer, the line of the instruction that made it
// (0 for none).
func layerLines(m *Mapping) string {
	var out []string
	for l := range m.StepOfLayer {
		line := 0
		if s := m.Step(l); s != nil {
			line = s.Ins.StartLine
		}
		out = append(out, fmt.Sprint(line))
	}
	return strings.Join(out, " ")
}

// h makes history entries: "-" before created_by marks an empty layer.
func h(entries ...string) []HistoryEntry {
	var out []HistoryEntry
	for _, e := range entries {
		empty := strings.HasPrefix(e, "-")
		out = append(out, HistoryEntry{CreatedBy: strings.TrimPrefix(e, "-"), EmptyLayer: empty})
	}
	return out
}

func layersOf(hist []HistoryEntry) int {
	n := 0
	for _, e := range hist {
		if !e.EmptyLayer {
			n++
		}
	}
	return n
}

const wasteDockerfile = `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends hello
COPY assets /srv/assets
RUN head -c 3000000 /dev/urandom > /tmp/blob.bin
ENV APP=1
RUN rm /tmp/blob.bin
RUN chmod -R g+w /srv/assets
CMD ["hello"]
`

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		name, dockerfile, target string
		hist                     []HistoryEntry
		wantLayers               string
		wantBase                 int
	}{{
		name:       "buildkit",
		dockerfile: wasteDockerfile,
		hist: h("/bin/sh -c #(nop) ADD file:6a3b in / ", "-/bin/sh -c #(nop)  CMD [\"bash\"]",
			"RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends hello # buildkit",
			"COPY assets /srv/assets # buildkit", "RUN /bin/sh -c head -c 3000000 /dev/urandom > /tmp/blob.bin # buildkit",
			"-ENV APP=1", "RUN /bin/sh -c rm /tmp/blob.bin # buildkit", "RUN /bin/sh -c chmod -R g+w /srv/assets # buildkit",
			`-CMD ["hello"]`),
		wantLayers: "0 2 3 4 6 7", wantBase: 1,
	}, {
		name:       "classic builder",
		dockerfile: wasteDockerfile,
		hist: h("debootstrap --variant=minbase bookworm",
			"/bin/sh -c apt-get update && apt-get install -y --no-install-recommends hello",
			"/bin/sh -c #(nop) COPY dir:b8cb3bb254217219f84 in /srv/assets ", "/bin/sh -c head -c 3000000 /dev/urandom > /tmp/blob.bin",
			"-/bin/sh -c #(nop)  ENV APP=1", "/bin/sh -c rm /tmp/blob.bin", "/bin/sh -c chmod -R g+w /srv/assets",
			`-/bin/sh -c #(nop)  CMD ["hello"]`),
		wantLayers: "0 2 3 4 6 7", wantBase: 1,
	}, {
		name: "build args prefix the RUN",
		dockerfile: `FROM alpine
ARG VERSION=1
RUN echo $VERSION > /v
`,
		hist:       h("ADD alpine-minirootfs.tar.gz / # buildkit", "-ARG VERSION=2", "RUN |1 VERSION=2 /bin/sh -c echo $VERSION > /v # buildkit"),
		wantLayers: "0 3", wantBase: 1,
	}, {
		name: "the base image ran the same command",
		dockerfile: `FROM base
RUN apt-get update
RUN echo done > /done
`,
		hist: h("/bin/sh -c #(nop) ADD file:1 in /", "/bin/sh -c apt-get update", "-/bin/sh -c #(nop)  CMD [\"sh\"]",
			"RUN /bin/sh -c apt-get update # buildkit", "RUN /bin/sh -c echo done > /done # buildkit"),
		wantLayers: "0 0 2 3", wantBase: 2,
	}, {
		name: "a stage built FROM another",
		dockerfile: `FROM busybox AS build
WORKDIR /src
RUN echo a > a
FROM build AS test
RUN test -f a
FROM scratch
COPY --from=build /src/a /a
`,
		target: "test",
		hist: h("BusyBox 1.36.1 (glibc), Debian 13", "WORKDIR /src", "RUN /bin/sh -c echo a > a # buildkit",
			"RUN /bin/sh -c test -f a # buildkit"),
		wantLayers: "0 2 3 5", wantBase: 1,
	}, {
		name: "FROM scratch: no base layers",
		dockerfile: `FROM scratch
COPY a /a
COPY b /b
`,
		hist:       h("COPY a /a # buildkit", "COPY b /b # buildkit"),
		wantLayers: "2 3", wantBase: 0,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m := Match(chainOf(t, tc.dockerfile, tc.target), tc.hist, layersOf(tc.hist), "history")
			if got := layerLines(m); got != tc.wantLayers {
				t.Errorf("layers made by lines %s, want %s", got, tc.wantLayers)
			}
			if !m.Matched || m.BaseLayers != tc.wantBase {
				t.Errorf("matched %v, %d base layers; want %d", m.Matched, m.BaseLayers, tc.wantBase)
			}
			if m.Unmatched != 0 {
				t.Errorf("%d layers unmatched", m.Unmatched)
			}
		})
	}
}

// TestMatchEmptyLayerEntries: ENV and CMD history entries are tied to
// their lines too.
func TestMatchEmptyLayerEntries(t *testing.T) {
	hist := h("debootstrap", "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends hello # buildkit",
		"COPY assets /srv/assets # buildkit", "RUN /bin/sh -c head -c 3000000 /dev/urandom > /tmp/blob.bin # buildkit",
		"-ENV APP=1", "RUN /bin/sh -c rm /tmp/blob.bin # buildkit", "RUN /bin/sh -c chmod -R g+w /srv/assets # buildkit", `-CMD ["hello"]`)
	c := chainOf(t, wasteDockerfile, "")
	m := Match(c, hist, layersOf(hist), "buildkit")
	var lines []int
	for i, s := range m.StepOfHistory {
		if hist[i].EmptyLayer && s >= 0 {
			lines = append(lines, c.Steps[s].Ins.StartLine)
		}
	}
	if fmt.Sprint(lines) != "[5 8]" {
		t.Errorf("empty-layer entries tied to lines %v, want [5 8]", lines)
	}
}

func TestMatchUnrelatedHistory(t *testing.T) {
	hist := h(`/bin/sh -c #(nop)  CMD ["sh"]`)
	m := Match(chainOf(t, wasteDockerfile, ""), hist, 0, "history")
	if m.Matched {
		t.Errorf("matched %v", m.StepOfHistory)
	}
}

func TestParseHistory(t *testing.T) {
	for in, want := range map[string]string{
		"RUN /bin/sh -c make all # buildkit":                 "RUN [make all]",
		"RUN |2 A=1 B=2 /bin/sh -c make # buildkit":          "RUN [make]",
		"|1 A=1 /bin/sh -c make":                             "RUN [make]",
		"/bin/sh -c #(nop) COPY file:4f2c in /app/x ":        "COPY [file:4f2c /app/x]",
		`/bin/sh -c #(nop)  CMD ["nginx" "-g"]`:              "CMD [nginx -g]",
		"WORKDIR /app":                                       "WORKDIR [/app]",
		"ENV A=1 B=2":                                        "ENV [A=1 B=2]",
		"COPY --from=build /out /usr/bin/tool # buildkit":    "COPY [--from=build /out /usr/bin/tool]",
		"debootstrap --variant=minbase bookworm":             "RUN [debootstrap --variant=minbase bookworm]",
		"/bin/sh -c #(nop) ADD multi:abc in /usr/local/bin/": "ADD [multi:abc /usr/local/bin/]",
	} {
		k := parseHistory(in)
		if got := k.kind + " " + fmt.Sprint(k.words); got != want {
			t.Errorf("parseHistory(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNewChainUnknownTarget(t *testing.T) {
	_, err := NewChain(lint.Parse(lint.NewSource("Dockerfile", []byte("FROM a AS x\n"))), "y")
	if err == nil || !strings.Contains(err.Error(), `no stage "y"`) {
		t.Errorf("err = %v", err)
	}
}
