package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3020 reports ADD of plain files and folders.
var DL3020 = register(&lint.Rule{
	Code:     "DL3020",
	Name:     "add-instead-of-copy",
	Summary:  "Use COPY instead of ADD for files and folders",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports an `ADD` with a source that is neither an archive (`.tar`, `.tar.gz`, `.tgz`, `.xz`, ...) " +
			"nor an `http(s)://` URL: a plain file or folder, for which `COPY` does the same. One finding per " +
			"instruction, at the first such source.",
		Why: "ADD has hidden behaviour: it unpacks local tar archives and downloads URLs. Using it for plain files " +
			"makes readers wonder which one was meant, and a file renamed to `.tar` later starts being unpacked. " +
			"COPY does only what it says.",
		Fix: "`COPY app/ /usr/src/app/`. The fix replaces ADD with COPY when no source is an archive or URL and no " +
			"ADD-only option (`--checksum`, `--keep-git-dir`, `--unpack`) is used; that is safe, since COPY copies " +
			"plain files exactly as ADD does.",
		Differences: "Git sources (`ADD git@github.com:org/repo.git /src`, `ADD ssh://...`, `ADD git://...`) are " +
			"not reported: BuildKit's ADD clones them and COPY cannot, so hadolint's advice would break the build. " +
			"A source given by a variable is judged by the variable's default value (`ARG URL=https://...` then " +
			"`ADD $URL /tmp/` is a download, not reported); hadolint reports every variable.",
	},
	Examples: []lint.Example{
		{Title: "A plain folder", Dockerfile: "FROM debian:12\nADD app/ /usr/src/app/\n", Want: []string{"2:5"},
			Fixed: "FROM debian:12\nCOPY app/ /usr/src/app/\n"},
		{Title: "An archive, a URL and COPY", Dockerfile: "FROM debian:12\nADD rootfs.tar.xz /\n" +
			"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /tmp/\nCOPY app/ /usr/src/app/\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "add" || len(ins.Args) < 2 {
				continue
			}
			var plain []lint.Arg
			special := false
			for _, a := range ins.Args[:len(ins.Args)-1] {
				v := dropQuotes(a.Value)
				if strings.Contains(v, "$") {
					if x, ok := expandDefault(ins, v); ok {
						v = x // ADD $URL: judge the default value
					}
				}
				switch {
				case isArchiveName(v) || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://"):
					special = true
				case strings.HasPrefix(v, "git@") || strings.HasPrefix(v, "git://") || strings.HasPrefix(v, "ssh://"):
					special = true // a git repository: only ADD can fetch it
				default:
					plain = append(plain, a)
				}
			}
			if len(plain) == 0 {
				continue
			}
			f := lint.Finding{
				At: ins, Range: plain[0].Range,
				Message: "ADD of `" + dropQuotes(plain[0].Value) + "`, a plain file or folder: COPY does the same without ADD's unpacking and downloading",
				Help:    "use COPY",
			}
			variable := false
			for _, a := range plain {
				variable = variable || strings.Contains(a.Value, "$")
			}
			if v := dropQuotes(plain[0].Value); strings.Contains(v, "$") {
				f.Message = "ADD of `" + v + "`: unless the variable holds a URL or an archive, COPY does the same without ADD's unpacking and downloading"
			}
			if variable && !special {
				f.Help = "use COPY if the variable names files or folders of the build context"
			} else if special || variable {
				f.Help = "COPY the plain files and keep ADD only for the archives and URLs"
			} else if !hasAnyFlag(ins, "checksum", "keep-git-dir", "unpack") {
				f.Fix = &lint.Fix{Title: "use COPY", Edits: []lint.Edit{{Range: ins.KeywordRange(), NewText: matchCase("COPY", ins.Keyword)}}}
			}
			p.Report(f)
		}
	},
})

// hasAnyFlag reports whether the instruction has one of the builder flags.
func hasAnyFlag(ins *lint.Instruction, names ...string) bool {
	for _, n := range names {
		if _, ok := ins.Flag(n); ok {
			return true
		}
	}
	return false
}
