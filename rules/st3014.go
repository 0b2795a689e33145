package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3014 reports credential files copied into the image.
var ST3014 = register(&lint.Rule{
	Code:     "ST3014",
	Name:     "secret-file-copied",
	Summary:  "Do not COPY keys and credential files into the image; mount them as build secrets",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `COPY` or `ADD` (from the build context or from another stage) whose source or " +
			"destination is a credential file, in a stage that ends up in the image (the final stage, the stages " +
			"it is built `FROM`, and `ONBUILD`):\n\n" +
			"- SSH private keys (`id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`...) and whole `.ssh`, `.aws`, " +
			"`.gnupg` and `.kube` directories;\n" +
			"- anything else copied into a `.ssh`, `.aws` or `.kube` directory (`COPY keys/ /root/.ssh/`), " +
			"except public parts and configuration (`authorized_keys`, `known_hosts`, `*.pub`, SSH and AWS `config`);\n" +
			"- tool credentials: `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.pgpass`, `.dockercfg`, " +
			"`.docker/config.json`, `.kube/config`, AWS `.aws/credentials` (a `credentials` file or directory " +
			"elsewhere is often code, and is not reported), `*credentials*.json`, `kubeconfig`, `.env`;\n" +
			"- private keys and key stores: `*.key` (not GPG repository keys: names with `gpg`, `pub`, `asc`, " +
			"`release`, `repo`, `keyring`...), `*.pem` whose name says key (`server-key.pem`, `privkey.pem`; " +
			"certificates and DH parameters are public), `*.p12`, `*.pfx`, `*.jks`, `*.keystore`, `*.ppk` (not " +
			"trust stores).\n\n" +
			"Sources whose names contain `example`, `sample`, `template`, `dist` or `default` (also when copied to " +
			"a secret name: `COPY .env.example .env`), and files under `test`, " +
			"`testdata`, `fixtures` or `examples` directories (test keys) are not reported, and neither are public " +
			"parts (`id_rsa.pub`, `authorized_keys`, `known_hosts`, `*.crt`).",
		Why: "Whatever `COPY` puts in a layer stays there: anyone who can pull the image can extract the key or " +
			"token, even if a later `RUN rm` deletes the file (it only hides it in the last layer). A registry " +
			"token in `.npmrc` or a deploy key in `.ssh` then gives access well beyond the image.",
		Fix: "Mount the file only for the step that needs it, so it never reaches a layer:\n\n```dockerfile\n" +
			"RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n" +
			"RUN --mount=type=ssh git clone git@github.com:org/private.git\n```\n\n" +
			"(`docker build --secret id=npmrc,src=$HOME/.npmrc --ssh default .`). Keys the running container needs " +
			"belong in a volume or a secrets manager, not in the image.",
		Peers: "Trivy DS-0031 (AVD-DS-0031, copying files named by credential variables such as " +
			"GOOGLE_APPLICATION_CREDENTIALS), dockle CIS-DI-0010 (credential files found in the built image). " +
			"Checkov: none. No hadolint or BuildKit rule covers it (BuildKit's CopyIgnoredFile is about " +
			"`.dockerignore`).",
	},
	Examples: []lint.Example{
		{Title: "A deploy key and npm credentials", Dockerfile: "FROM node:22\nCOPY id_ed25519 /root/.ssh/id_ed25519\n" +
			"COPY .npmrc package.json package-lock.json ./\nRUN npm ci && rm .npmrc\n", Want: []string{"2:6", "3:6"}},
		{Title: "A TLS private key", Dockerfile: "FROM nginx:1.27\nCOPY certs/server.crt certs/server.key /etc/nginx/tls/\n", Want: []string{"2:23"}},
		{Title: "Build secrets instead", Dockerfile: "FROM node:22\nCOPY package.json package-lock.json ./\n" +
			"RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n"},
		{Title: "Public keys and certificates", Dockerfile: "FROM debian:12\nCOPY authorized_keys /root/.ssh/authorized_keys\n" +
			"COPY corp-ca.crt /usr/local/share/ca-certificates/\nCOPY nodesource-repo.gpg.key /usr/share/keyrings/nodesource.asc\n"},
	},
	Check: func(p *lint.Pass) {
		secEach(p.File, func(ins *lint.Instruction) {
			if (ins.Kind != "copy" && ins.Kind != "add") || len(ins.Args) < 2 || !stageKept(p.File, ins) {
				return
			}
			dest := ins.Args[len(ins.Args)-1]
			destPath := secUnquote(dest.Value)
			if ins.JSON {
				destPath = dest.Value
			}
			skipDest := false
			intoDir := st3014CredDir(destPath, len(ins.Args) > 2)
			for _, a := range ins.Args[:len(ins.Args)-1] {
				src := secUnquote(a.Value)
				if ins.JSON {
					src = a.Value
				}
				if strings.HasPrefix(src, "<<") || strings.Contains(src, "://") {
					continue
				}
				if st3014Example(src) {
					skipDest = true // .env.example copied to .env: a template, whatever its destination
					continue
				}
				what := st3014Secret(src)
				if what == st3014Excluded {
					skipDest = true // a public file or a test key: the destination says nothing more
					continue
				}
				if what == "" && path.Base(src) == "config.json" && strings.Contains(destPath, ".docker") {
					what = "Docker registry credentials"
				}
				if what == "" && intoDir != "" {
					what = st3014IntoDir(intoDir, src)
				}
				if what == "" {
					continue
				}
				skipDest = true
				p.Report(lint.Finding{
					At: ins, Range: a.Range,
					Message: ins.Keyword + " puts " + src + " (" + what + ") into the image, where anyone who can pull it can read it",
					Help:    st3014Help(what),
				})
			}
			if skipDest || strings.HasSuffix(destPath, "/") {
				return
			}
			if what := st3014Secret(destPath); what != "" && what != st3014Excluded && !strings.HasPrefix(what, "a directory") {
				p.Report(lint.Finding{
					At: ins, Range: dest.Range,
					Message: ins.Keyword + " writes " + destPath + " (" + what + ") into the image, where anyone who can pull it can read it",
					Help:    st3014Help(what),
				})
			}
		})
	},
})

func st3014Help(what string) string {
	if strings.Contains(what, "SSH") {
		return "use RUN --mount=type=ssh (docker build --ssh default) for the step that needs the key"
	}
	return "mount it for the step that needs it: RUN --mount=type=secret,id=<name>,target=<path> (docker build --secret id=<name>,src=<file>)"
}

var st3014Names = map[string]string{
	"id_rsa": "an SSH private key", "id_dsa": "an SSH private key", "id_ecdsa": "an SSH private key",
	"id_ed25519": "an SSH private key", "id_ecdsa_sk": "an SSH private key", "id_ed25519_sk": "an SSH private key",
	".npmrc": "npm credentials", ".pypirc": "PyPI credentials", ".netrc": "netrc credentials", "_netrc": "netrc credentials",
	".git-credentials": "git credentials", ".pgpass": "PostgreSQL passwords", ".dockercfg": "Docker registry credentials",
	"credentials": "cloud credentials", "kubeconfig": "Kubernetes credentials", ".env": "environment secrets",
	".ssh": "a directory of SSH keys", ".aws": "a directory of AWS credentials", ".gnupg": "a directory of GPG keys",
	".kube": "a directory of Kubernetes credentials",
}

// st3014Example reports a source whose name says it is an example or a
// template (.env.example, credentials.sample.json, config.dist).
func st3014Example(src string) bool {
	lower := strings.ToLower(path.Base(strings.TrimSuffix(src, "/")))
	for _, part := range strings.FieldsFunc(lower, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		switch part {
		case "example", "examples", "sample", "samples", "template", "templates", "tmpl", "tpl", "dist", "default", "defaults":
			return true
		}
	}
	return false
}

// st3014CredDir returns the credential directory (".ssh", ".aws",
// ".kube") that a COPY destination is, or is in, when files are copied
// into it (the destination ends with a slash, is the directory itself, or
// several sources are copied); "" otherwise.
func st3014CredDir(dest string, several bool) string {
	isDir := strings.HasSuffix(dest, "/") || several
	parts := strings.Split(strings.Trim(path.Clean("/"+dest), "/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		switch parts[i] {
		case ".ssh", ".aws", ".kube":
			if isDir || i == len(parts)-1 {
				return parts[i]
			}
			return ""
		}
	}
	return ""
}

// st3014IntoDir names what a source copied into a credential directory
// is, or "" when it is a public or harmless part (authorized_keys,
// known_hosts, the SSH client config, the AWS config).
func st3014IntoDir(dir, src string) string {
	base := strings.ToLower(path.Base(strings.TrimSuffix(src, "/")))
	switch dir {
	case ".ssh":
		if strings.Contains(base, "authorized_keys") || strings.Contains(base, "known_hosts") ||
			strings.Contains(base, "config") || strings.HasSuffix(base, ".pub") || base == "environment" || base == "rc" {
			return ""
		}
		return "SSH keys, by their destination"
	case ".aws":
		if base == "config" {
			return ""
		}
		return "AWS credentials, by their destination"
	case ".kube":
		return "Kubernetes credentials, by their destination"
	}
	return ""
}

// st3014Public are name parts that mark public keys, certificates and
// examples.
var st3014Public = []string{"pub", "public", "gpg", "asc", "release", "repo", "archive", "keyring", "apt", "trust",
	"truststore", "example", "sample", "template", "dist", "default"}

// st3014Excluded is what st3014Secret returns for a path it recognises as
// public or a test fixture.
const st3014Excluded = "-"

// st3014Secret names the kind of credential a path is, or "" (or
// st3014Excluded).
func st3014Secret(p string) string {
	p = strings.TrimSuffix(p, "/")
	if p == "" || strings.ContainsAny(p, "$*?[") && !strings.HasSuffix(p, ".key") {
		return ""
	}
	base := path.Base(p)
	lower := strings.ToLower(base)
	ext := path.Ext(lower)
	what, named := st3014Names[lower]
	parent := path.Base(path.Dir(p))
	switch {
	case lower == "credentials" && parent != ".aws":
		// credentials/ is as often a code package (src/credentials/) as
		// the AWS file: only ~/.aws/credentials (or a copy into ~/.aws/,
		// see st3014IntoDir) is known
		return ""
	case lower == "credentials":
		what = "AWS credentials"
	case lower == "config" && parent == ".kube":
		what, named = "Kubernetes credentials", true
	}
	if !named {
		switch ext {
		case ".key", ".ppk", ".pem", ".p12", ".pfx", ".jks", ".keystore", ".json", ".yaml", ".yml", ".ini", "":
		default:
			return ""
		}
		if ext != ".json" && ext != ".pem" && !strings.HasPrefix(ext, ".k") && !strings.HasPrefix(ext, ".p") &&
			ext != ".jks" && !strings.Contains(lower, "credentials") {
			return ""
		}
	}
	for _, dir := range strings.Split(strings.ToLower(path.Dir(p)), "/") {
		switch dir {
		case "test", "tests", "testdata", "test-data", "fixtures", "example", "examples", "sample", "samples":
			return st3014Excluded // a test fixture, not a real key
		}
	}
	parts := strings.FieldsFunc(lower, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	has := func(words ...string) bool {
		for _, part := range parts {
			for _, w := range words {
				if part == w {
					return true
				}
			}
		}
		return false
	}
	if has(st3014Public...) {
		return st3014Excluded
	}
	if named {
		return what
	}
	if strings.HasSuffix(p, ".docker/config.json") {
		return "Docker registry credentials"
	}
	switch ext {
	case ".key", ".ppk":
		return "a private key"
	case ".pem":
		if has("key", "privkey", "private", "priv") {
			return "a private key"
		}
	case ".p12", ".pfx", ".jks", ".keystore":
		return "a key store"
	case ".json", ".yaml", ".yml", ".ini", "":
		if has("credentials") || (ext == ".json" && has("serviceaccount", "service", "sa") && has("key", "account")) {
			return "cloud credentials"
		}
	}
	return ""
}
