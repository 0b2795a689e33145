package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3010 reports a local archive that is copied and then extracted.
var DL3010 = register(&lint.Rule{
	Code:     "DL3010",
	Name:     "copy-then-extract",
	Summary:  "Use ADD (or a bind mount) to extract a local archive instead of COPY and a RUN",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `COPY` of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.bz2`, `.xz`, ...) that a later " +
			"`RUN` of the same stage extracts (`tar -x`, `unzip`, `gunzip`, `zcat`, ...), matching the archive by " +
			"its file name. The finding is on the COPY, one per extracted archive. As in hadolint, only the last " +
			"stage is checked.",
		Why: "The COPY commits the archive to a layer. Extracting it in a later RUN adds the files in another layer, " +
			"and deleting the archive afterwards does not shrink the first one: the image carries the data twice.",
		Fix: "Let `ADD` extract a local tar archive in one step (`ADD app.tar.gz /opt/app/`), or extract it straight " +
			"from the build context without ever storing it:\n\n```dockerfile\nRUN --mount=type=bind,source=app.zip,target=/tmp/app.zip \\\n" +
			"    unzip /tmp/app.zip -d /opt/app\n```",
	},
	Examples: []lint.Example{
		{Title: "Copied, then extracted", Dockerfile: "FROM debian:12\nCOPY dist/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n", Want: []string{"2:6"}},
		{Title: "ADD extracts it", Dockerfile: "FROM debian:12\nADD dist/app.tar.gz /opt/\n"},
		{Title: "Copied and kept as an archive", Dockerfile: "FROM debian:12\nCOPY dist/app.tar.gz /srv/downloads/\n"},
	},
	Check: func(p *lint.Pass) {
		type archive struct {
			ins     *lint.Instruction
			name    string // base name
			word    lint.Arg
			extract int // line of the RUN that extracts it, 0 if none
		}
		var archives []*archive
		for _, ins := range p.File.Instructions {
			switch ins.Kind {
			case "from":
				archives = archives[:0] // hadolint keeps only the last stage
			case "copy":
				if _, ok := ins.Flag("from"); ok || len(ins.Args) < 2 {
					continue
				}
				add := func(w lint.Arg) {
					name := archiveBase(w.Value)
					for _, a := range archives {
						if a.ins == ins && a.name == name {
							return
						}
					}
					archives = append(archives, &archive{ins: ins, name: name, word: w})
				}
				if dest := ins.Args[len(ins.Args)-1]; isArchiveName(dest.Value) {
					add(dest)
					continue
				}
				for _, w := range ins.Args[:len(ins.Args)-1] {
					if isArchiveName(w.Value) {
						add(w)
					}
				}
			case "run":
				if len(archives) == 0 {
					continue
				}
				s := ins.Script()
				if s == nil || s.Err != nil {
					continue
				}
				for _, c := range s.Commands {
					if !extractsArchive(c) {
						continue
					}
					for _, w := range c.ArgsNoFlags() {
						name := archiveBase(w.Value)
						for _, a := range archives {
							if a.name == name && a.extract == 0 {
								a.extract = ins.StartLine
							}
						}
					}
				}
			}
		}
		for _, a := range archives {
			if a.extract == 0 {
				continue
			}
			src := dropQuotes(a.word.Value)
			if a.word.Range == a.ins.Args[len(a.ins.Args)-1].Range {
				src = "<source>" // the archive is the COPY's destination name
			}
			help := "extract it straight from the build context: RUN --mount=type=bind,source=" + src +
				",target=/tmp/" + a.name + " <extract /tmp/" + a.name + ">"
			if isTarName(a.name) {
				help = "ADD " + src + " <dir>/ unpacks a local tar archive without keeping it; or " + help
			}
			p.Report(lint.Finding{
				At: a.ins, Range: a.word.Range,
				Message: "`" + a.name + "` is copied into a layer and extracted by the RUN on line " + itoa(a.extract) +
					": the image keeps the archive as well as its contents",
				Help: help,
			})
		}
	},
})

// archiveExtensions are hadolint's archive file name suffixes.
var archiveExtensions = []string{".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz"}

func isArchiveName(s string) bool {
	s = dropQuotes(s)
	for _, ext := range archiveExtensions {
		if strings.HasSuffix(s, ext) {
			return true
		}
	}
	return false
}

// isTarName reports whether ADD would unpack the file (a tar, compressed or not).
func isTarName(name string) bool {
	if strings.Contains(name, ".tar") {
		return true
	}
	for _, ext := range []string{".tgz", ".tb2", ".tbz", ".tbz2", ".txz", ".tlz", ".tpz", ".tZ"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// archiveBase is the file name after the last / or \, quotes removed.
func archiveBase(s string) string {
	s = dropQuotes(s)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		return s[i+1:]
	}
	return s
}

// extractsArchive is hadolint's test for a command that unpacks an archive.
func extractsArchive(c *lint.Command) bool {
	switch c.Name.Value {
	case "unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat":
		return true
	case "tar":
		for _, a := range c.Args {
			if a.Value == "--extract" || a.Value == "--get" || (strings.HasPrefix(a.Value, "-") && strings.Contains(a.Value, "x")) {
				return true
			}
		}
	}
	return false
}
