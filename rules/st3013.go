package rules

import (
	"encoding/base64"
	"github.com/strata-dev/strata/internal/lazyre"
	"math"
	"regexp"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3013 reports secrets written into the Dockerfile by value.
var ST3013 = register(&lint.Rule{
	Code:     "ST3013",
	Name:     "hardcoded-secret",
	Summary:  "Do not write credentials into the Dockerfile",
	Severity: lint.SeverityError,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports values that are credentials, wherever they appear in an instruction (`ENV`, `ARG`, `LABEL`, " +
			"`RUN`, `CMD`, `ADD` URLs, heredoc bodies...):\n\n" +
			"- tokens with a provider's format: AWS access key ids (`AKIA...`, `ASIA...`), GitHub (`ghp_`, `gho_`, " +
			"`ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`), Slack (`xoxb-`, `xoxp-`... and webhook " +
			"URLs), Stripe live keys (`sk_live_`, `rk_live_`), Google API keys (`AIza...`), npm (`npm_`), PyPI " +
			"(`pypi-`), Hugging Face (`hf_`), SendGrid, DigitalOcean, Docker Hub (`dckr_pat_`), OpenAI and " +
			"Anthropic keys, Azure storage `AccountKey=`, and JSON Web Tokens;\n" +
			"- private key blocks (`-----BEGIN ... PRIVATE KEY-----`) with a key in them;\n" +
			"- a password in a URL (`https://user:password@host`, `postgres://app:s3cr3t@db/app`);\n" +
			"- an `ENV` or `ARG` value, or a variable set in `RUN` (`export NAME=...`, `NAME=... command`, " +
			"`aws configure set aws_secret_access_key ...`), that is a single random-looking string (20 or more " +
			"characters mixing upper case, lower case and digits, with high entropy; slashes are allowed in a " +
			"variable named like a credential, as in AWS secret access keys).\n\n" +
			"To keep false positives rare, these are not reported: values made of variables (`$TOKEN`, " +
			"`${PASSWORD}`), obvious placeholders (`AKIAIOSFODNN7EXAMPLE`, anything containing `example`, " +
			"`placeholder`, `changeme`, `your_`, `xxxx`, `dummy`, `redacted`, `<...>`, and URL passwords that " +
			"name themselves, such as `password` or `secret`), hexadecimal strings " +
			"(checksums, commit ids, GPG fingerprints), version strings, paths and URLs without a password, and " +
			"values of variables named like checksums, ids or versions (`*_SHA256`, `*_CHECKSUM`, `*_ID`, " +
			"`*_VERSION`...) or public by design (`*_PUBLIC_*`, `*_PUBLISHABLE_*`), and random-looking values that are " +
			"words joined by dashes. Public \"anon\" JWTs (`\"role\":\"anon\"`, meant for browsers) are not reported. The " +
			"message shows only the first characters of the secret.",
		Why: "Everything in a Dockerfile ends up in the image or its metadata: `ENV` and `LABEL` in the image " +
			"configuration, `ARG` values and `RUN` command lines in `docker history`, files in layers. Anyone who " +
			"can pull the image (or read the repository) gets the credential, and deleting it in a later " +
			"instruction does not remove it from earlier layers.",
		Fix: "Revoke the credential first: it has leaked. Then pass it only for the step that needs it, with a " +
			"build secret that never reaches a layer:\n\n```dockerfile\n" +
			"RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n\n" +
			"(`docker build --secret id=npm_token,env=NPM_TOKEN .`), and give the running container its " +
			"credentials through the environment or a secrets manager at run time.",
		Peers: "Complements BuildKit's SecretsUsedInArgOrEnv and hadolint's DL3064, which look at `ARG`/`ENV` " +
			"*names* (`*_TOKEN`, `*_PASSWORD`) whatever the value; this rule looks at values, in every " +
			"instruction. Trivy DS-0031 (AVD-DS-0031, secret names in ARG/ENV and credential commands), Checkov's " +
			"secret scanning (CKV_SECRET_*, e.g. CKV_SECRET_2 for AWS keys and CKV_SECRET_6 for high-entropy " +
			"strings), dockle CIS-DI-0010 (credentials in environment variables and files of the built image).",
	},
	Examples: []lint.Example{
		{Title: "A token in ENV and a password in a URL", Dockerfile: "FROM node:22\n" +
			"ENV GITHUB_TOKEN=ghp_Q3vT8kLm2Xw9Rb5Yz1Nc4Hd7Jf6Gs0Ap8Ue3\n" +
			"RUN git clone https://deploy:Xk9vQ2mLr7TzW4pB@git.example.com/app.git /app\n",
			Want: []string{"2:18", "3:30"}},
		{Title: "A random-looking ARG default", Dockerfile: "FROM python:3.12\nARG API_SECRET=q8Zr3LkT9vWm2XbN5pYc7HdJ4sGf\n", Want: []string{"2:16"}},
		{Title: "Checksums, placeholders and variables", Dockerfile: "FROM debian:12\n" +
			"ARG TOOL_SHA256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n" +
			"ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE DB_URL=postgres://app:${DB_PASSWORD}@db/app\n" +
			"ENV API_TOKEN=<your-token-here>\n"},
		{Title: "A build secret", Dockerfile: "FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n"},
	},
	Check: func(p *lint.Pass) {
		src := p.File.Source
		for _, top := range p.File.Instructions {
			ins := top
			var done []lint.Range
			report := func(r lint.Range, msg string) {
				if secOverlaps(r, done) {
					return
				}
				done = append(done, r)
				p.Report(lint.Finding{At: ins, Range: r, Message: msg, Help: st3013Help})
			}
			scan := func(text string, rangeOf func(i, j int) lint.Range) {
				for _, h := range st3013Find(text) {
					report(rangeOf(h.start, h.end), h.msg)
				}
			}
			// Scan words, not whole texts: credentials are long words, and
			// RUN's words are already parsed.
			word := func(v string, at secAt) {
				if len(v) < 12 {
					return
				}
				for _, h := range st3013Find(v) {
					report(at.Range(v, h.start, h.end), h.msg)
				}
			}
			inner := ins
			if ins.OnBuild != nil {
				inner = ins.OnBuild
			}
			switch inner.Kind {
			case "from", "workdir", "expose", "user", "volume", "stopsignal", "shell", "maintainer", "copy":
				// no place for a credential (COPY heredoc bodies are scanned below)
			case "run":
				s := inner.Script()
				if s == nil || s.Err != nil {
					scan(inner.Text, inner.RangeOf)
					break
				}
				for _, c := range s.Commands {
					word(c.Name.Value, secAt{src: src, word: &c.Name})
					for i := range c.Args {
						word(c.Args[i].Value, secAt{src: src, word: &c.Args[i]})
					}
					for i := range c.Env {
						word(c.Env[i].Value.Value, secAt{src: src, word: &c.Env[i].Value})
					}
					for _, a := range st3013RunAssigns(c) {
						if a.Value.Literal && st3013RandomValue(a.Name, a.Value.Value) {
							v := a.Value.Value
							report(secAt{src: src, word: &a.Value}.Range(v, 0, len(v)), "RUN sets "+a.Name+" to a random-looking literal value ("+
								secMask(a.Value.Value, 3)+") that looks like a credential")
						}
					}
				}
			default:
				for _, a := range inner.Args {
					word(a.Value, secAt{src: src, r: a.Range})
				}
			}
			for _, h := range ins.Heredocs {
				body, content := h.Body, h.Content
				scan(content, func(i, j int) lint.Range {
					if secExact(src, body, content) {
						return src.Range(body.Start.Offset+i, body.Start.Offset+j)
					}
					return secNarrow(src, body, content[i:j])
				})
			}
			if ins.OnBuild != nil {
				ins = ins.OnBuild
			}
			if ins.Kind != "env" && ins.Kind != "arg" {
				continue
			}
			long := false
			for _, a := range ins.Args {
				long = long || len(a.Value) > 20
			}
			if !long {
				continue
			}
			for _, kv := range secPairs(ins) {
				if kv.HasValue && st3013RandomValue(kv.Key, kv.Value) {
					report(kv.ValueRange(), ins.Keyword+" "+kv.Key+" holds a random-looking literal value ("+
						secMask(kv.Value, 3)+") that looks like a credential")
				}
			}
		}
	},
})

const st3013Help = "revoke it, then pass it with RUN --mount=type=secret (docker build --secret) at build time " +
	"and through the environment or a secrets manager at run time"

type st3013Hit struct {
	start, end int
	msg        string
}

// st3013Tokens are provider token formats, checked on each token that
// starts with the prefix.
var st3013Tokens = []struct {
	prefix string
	re     func() *regexp.Regexp
	what   string
	keep   int // characters shown in the message
}{
	{"AKIA", lazyre.New(`^AKIA[0-9A-Z]{16}$`), "an AWS access key id", 4},
	{"ASIA", lazyre.New(`^ASIA[0-9A-Z]{16}$`), "an AWS temporary access key id", 4},
	{"ghp_", lazyre.New(`^ghp_[A-Za-z0-9]{36,}$`), "a GitHub personal access token", 4},
	{"gho_", lazyre.New(`^gho_[A-Za-z0-9]{36,}$`), "a GitHub OAuth token", 4},
	{"ghu_", lazyre.New(`^ghu_[A-Za-z0-9]{36,}$`), "a GitHub user-to-server token", 4},
	{"ghs_", lazyre.New(`^ghs_[A-Za-z0-9]{36,}$`), "a GitHub server-to-server token", 4},
	{"ghr_", lazyre.New(`^ghr_[A-Za-z0-9]{36,}$`), "a GitHub refresh token", 4},
	{"github_pat_", lazyre.New(`^github_pat_[A-Za-z0-9_]{22,}$`), "a GitHub fine-grained token", 11},
	{"glpat-", lazyre.New(`^glpat-[A-Za-z0-9_-]{20,}$`), "a GitLab personal access token", 6},
	{"xox", lazyre.New(`^xox[abprs]-[A-Za-z0-9-]{10,}$`), "a Slack token", 5},
	{"sk_live_", lazyre.New(`^sk_live_[A-Za-z0-9]{16,}$`), "a Stripe live secret key", 8},
	{"rk_live_", lazyre.New(`^rk_live_[A-Za-z0-9]{16,}$`), "a Stripe live restricted key", 8},
	{"AIza", lazyre.New(`^AIza[0-9A-Za-z_-]{35}$`), "a Google API key", 4},
	{"npm_", lazyre.New(`^npm_[A-Za-z0-9]{36}$`), "an npm access token", 4},
	{"pypi-", lazyre.New(`^pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}$`), "a PyPI API token", 5},
	{"hf_", lazyre.New(`^hf_[A-Za-z0-9]{34,}$`), "a Hugging Face token", 3},
	{"SG.", lazyre.New(`^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$`), "a SendGrid API key", 3},
	{"dop_v1_", lazyre.New(`^dop_v1_[a-f0-9]{64}$`), "a DigitalOcean token", 7},
	{"dckr_pat_", lazyre.New(`^dckr_pat_[A-Za-z0-9_-]{20,}$`), "a Docker Hub access token", 9},
	{"sk-ant-", lazyre.New(`^sk-ant-[a-z]+\d\d-[A-Za-z0-9_-]{80,}$`), "an Anthropic API key", 7},
	{"sk-proj-", lazyre.New(`^sk-proj-[A-Za-z0-9_-]{40,}$`), "an OpenAI API key", 8},
	{"sk-", lazyre.New(`^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$`), "an OpenAI API key", 3},
	{"eyJ", lazyre.New(`^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}$`), "a JSON Web Token", 3},
}

var (
	st3013PrivateKey  = lazyre.New(`-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`)
	st3013AzureKey    = lazyre.New(`AccountKey=[A-Za-z0-9+/]{86}==`)
	st3013SlackHook   = lazyre.New(`hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{20,}`)
	st3013Placeholder = lazyre.New(`(?i)example|sample|placeholder|changeme|change_me|change-me|your[_-]|` +
		`xxxx|\*\*\*|dummy|redacted|fake|<[^>]*>|\.\.\.|insert|replace`)
)

// st3013TokenByte is the alphabet of provider tokens (and JWTs).
var st3013TokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
	}
	return t
}()

// st3013Find returns the credentials in a text.
func st3013Find(text string) []st3013Hit {
	var hits []st3013Hit
	// provider tokens: one pass over the runs of token characters
	for i, n := 0, len(text); i < n && n >= 20; {
		if !st3013TokenByte[text[i]] {
			i++
			continue
		}
		j := i + 1
		for j < n && st3013TokenByte[text[j]] {
			j++
		}
		if j-i >= 20 {
			if h, ok := st3013Token(text, i, j); ok {
				hits = append(hits, h)
			}
		}
		i = j
	}
	if len(text) >= 40 && strings.Contains(text, "PRIVATE KEY") {
		for _, m := range st3013PrivateKey().FindAllStringIndex(text, -1) {
			if st3013KeyBody(text[m[1]:]) {
				hits = append(hits, st3013Hit{m[0], m[1], "a private key is written into the Dockerfile"})
			}
		}
	}
	if len(text) >= 99 && strings.Contains(text, "AccountKey=") {
		for _, m := range st3013AzureKey().FindAllStringIndex(text, -1) {
			hits = append(hits, st3013Hit{m[0] + len("AccountKey="), m[1], "an Azure storage account key (" + secMask(text[m[0]+11:m[1]], 3) + ") is written into the Dockerfile"})
		}
	}
	if strings.IndexByte(text, '@') < 0 {
		return hits // no URL with a password
	}
	for off := 0; ; {
		k := strings.Index(text[off:], "://")
		if k < 0 {
			break
		}
		k += off
		off = k + 3
		if h, ok := st3013URL(text, k); ok {
			hits = append(hits, h)
		}
	}
	return hits
}

// st3013ByFirst indexes st3013Tokens by the first byte of their prefix.
var st3013ByFirst = func() (m [256][]int) {
	for i, t := range st3013Tokens {
		m[t.prefix[0]] = append(m[t.prefix[0]], i)
	}
	return m
}()

// st3013Token checks one run of token characters text[i:j].
func st3013Token(text string, i, j int) (st3013Hit, bool) {
	for i < j && (text[i] == '-' || text[i] == '.' || text[i] == '_') {
		i++
	}
	tok := strings.TrimRight(text[i:j], ".-")
	if tok == "" {
		return st3013Hit{}, false
	}
	for _, n := range st3013ByFirst[tok[0]] {
		t := st3013Tokens[n]
		if !strings.HasPrefix(tok, t.prefix) || !t.re().MatchString(tok) || st3013Placeholder().MatchString(tok) {
			continue
		}
		if t.prefix == "eyJ" && st3013AnonJWT(tok) {
			continue
		}
		return st3013Hit{i, i + len(tok), t.what + " (" + secMask(tok, t.keep) + ") is written into the Dockerfile"}, true
	}
	if tok[0] == 'h' && strings.Contains(tok, "hooks.slack.com") {
		if m := st3013SlackHook().FindStringIndex(tok); m != nil {
			return st3013Hit{i + m[0], i + m[1], "a Slack webhook URL is written into the Dockerfile"}, true
		}
	}
	return st3013Hit{}, false
}

func st3013Alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// st3013AnonJWT recognises a JWT whose payload says it is a public
// "anon" key (Supabase), which is meant to be shipped to browsers.
func st3013AnonJWT(jwt string) bool {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	p := strings.ReplaceAll(string(payload), " ", "")
	return strings.Contains(p, `"role":"anon"`)
}

// st3013KeyBody reports whether the text after a BEGIN line holds key
// material rather than a variable or a placeholder.
func st3013KeyBody(rest string) bool {
	n := 0
	for i := 0; i < len(rest) && i < 200; i++ {
		c := rest[i]
		switch {
		case c == '$' || c == '.' || c == '<' || c == '{':
			return false
		case c == '\\' && i+1 < len(rest) && rest[i+1] == 'n':
			i++
		case st3013Alnum(c) || c == '+' || c == '/' || c == '=':
			n++
		case c == '-' && n > 0:
			return n >= 40 // the END line
		}
		if n >= 40 {
			return true
		}
	}
	return false
}

// st3013URL checks the URL around the "://" at text[k:].
func st3013URL(text string, k int) (st3013Hit, bool) {
	end := k + 3
	for end < len(text) && !strings.ContainsRune(" \t\n\"'`/?#<>\\;|&()", rune(text[end])) {
		end++
	}
	authority := text[k+3 : end]
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return st3013Hit{}, false
	}
	userinfo := authority[:at]
	user, pass, ok := strings.Cut(userinfo, ":")
	if !ok || pass == "" || user == "" {
		return st3013Hit{}, false
	}
	if strings.ContainsAny(pass, "${}%*") || st3013Placeholder().MatchString(pass) || st3013PlaceholderPassword(pass) {
		return st3013Hit{}, false
	}
	scheme := k
	for scheme > 0 && (st3013Alnum(text[scheme-1]) || strings.IndexByte("+.-", text[scheme-1]) >= 0) {
		scheme--
	}
	start := k + 3 + len(user) + 1
	return st3013Hit{start, start + len(pass), "the URL " + text[scheme:k] + "://" + user + ":****@" + authority[at+1:] +
		" carries a password"}, true
}

// st3013PlaceholderPassword recognises passwords written as their own
// description.
func st3013PlaceholderPassword(p string) bool {
	switch strings.ToLower(p) {
	case "pass", "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "x", "xxx", "user", "pw":
		return true
	}
	return false
}

// st3013SafeName matches variable names whose values are not secrets even
// when they look random.
var st3013SafeName = lazyre.New(`(?i)(^|_)(sha\d*|sha\d+sum|md5|hash|checksum|sum|digest|id|ids|uuid|guid|version|ver|` +
	`commit|ref|revision|rev|tag|branch|url|uri|path|dir|home|file|name|image|fingerprint|fpr|gpg_?keys?|keyid|` +
	`flags|opts|options|args|channel|salt|nonce|seed|locale|tz|build|release)$`)

// st3013PublicName matches variables that hold public values by design.
var st3013PublicName = lazyre.New(`(?i)(^|_)(public|publishable|pub)(_|$)`)

// st3013RandomValue reports an ENV or ARG value that looks like a random
// credential.
func st3013RandomValue(name, v string) bool {
	if len(v) < 20 || len(v) > 256 {
		return false
	}
	var upper, lower, digit int
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digit++
		case c == '+' || c == '/' || c == '=' || c == '_' || c == '-':
		default:
			return false // spaces, dots, colons, $: not a bare token
		}
	}
	if upper < 2 || lower < 2 || digit < 2 || v[0] == '-' || strings.Contains(strings.ToLower(v), "test") ||
		st3013Placeholder().MatchString(v) || st3013SafeName().MatchString(name) || st3013PublicName().MatchString(name) {
		return false
	}
	if seps := strings.Count(v, "-") + strings.Count(v, "_"); seps >= 3 && seps*12 > len(v) {
		return false // words joined by dashes (PSDocker-TestDeps-Debian-11), not a random string
	}
	if strings.Count(v, "/") > 1 && !strings.ContainsAny(v, "+=") && !st3013SlashedSecret(name, v) {
		return false // a path
	}
	return st3013Entropy(v) >= 4.0
}

// st3013RunAssigns returns the values a RUN command gives to named
// variables: NAME=value before the command, export NAME=value, and
// aws configure set [profile.]aws_secret_access_key value.
func st3013RunAssigns(c *lint.Command) []lint.Assign {
	out := append([]lint.Assign(nil), c.Env...)
	switch c.Name.Value {
	case "export", "declare", "typeset", "readonly":
		for _, a := range c.Args {
			if k, v, ok := strings.Cut(a.Value, "="); ok && k != "" && !strings.HasPrefix(k, "-") && a.Literal {
				w := a
				w.Value = v // its range is the whole word's; narrowed to the value when reported
				out = append(out, lint.Assign{Name: k, Value: w})
			}
		}
	case "aws":
		args := c.Args
		for len(args) > 0 && strings.HasPrefix(args[0].Value, "-") {
			args = args[1:] // aws --profile x configure set ...: flags with values are rare here
		}
		if len(args) >= 4 && args[0].Value == "configure" && args[1].Value == "set" {
			key := args[2].Value
			if i := strings.LastIndexByte(key, '.'); i >= 0 {
				key = key[i+1:]
			}
			if strings.EqualFold(key, "aws_secret_access_key") || strings.EqualFold(key, "aws_session_token") {
				out = append(out, lint.Assign{Name: strings.ToUpper(key), Value: args[3]})
			}
		}
	}
	return out
}

// st3013SecretName matches variable names that announce a credential.
var st3013SecretName = lazyre.New(`(?i)secret|passw|token|credential|api_?key|access_?key|private_?key|(^|_)key$`)

// st3013SlashedSecret reports whether a value with several slashes is a
// base64 secret (an AWS secret access key, wJalrXUtnFEMI/K7MDENG/bPxRfi...)
// rather than a path: the variable is named like a credential, the value
// is not rooted like a path, and its slash-separated pieces are random
// (digits among letters, or case changing inside the piece) rather than
// words.
func st3013SlashedSecret(name, v string) bool {
	if !st3013SecretName().MatchString(name) || strings.ContainsAny(v[:1], "/.~") {
		return false
	}
	random := 0
	for _, seg := range strings.Split(v, "/") {
		if len(seg) <= 3 {
			continue // too short to tell (random pieces can be short)
		}
		var letters, digits, changes int
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				letters++
				if i > 0 && seg[i-1] >= 'a' && seg[i-1] <= 'z' && c <= 'Z' {
					changes++
				}
			}
		}
		if !(digits > 0 && letters > 0 || changes >= 2) {
			return false // a word: part of a path
		}
		random++
	}
	return random >= 2
}

// st3013Entropy is the Shannon entropy of s in bits per character.
func st3013Entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
