package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// sshKeyTypes are the OpenSSH key types Azure accepts for Linux VMs.
var sshKeyTypes = []string{"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"}

// minRSABits is the smallest RSA key we accept (NIST's floor after 2030 is 3072 bits).
const minRSABits = 3072

// checkSSHPublicKey returns what is wrong with an authorized_keys line, or "".
func checkSSHPublicKey(line string) string {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return `must be one OpenSSH public key line: "<type> <base64> [comment]"`
	}
	if strings.Contains(line, "PRIVATE KEY") {
		return "looks like a private key; give the .pub file"
	}
	typ := fields[0]
	if !slices.Contains(sshKeyTypes, typ) {
		return "key type must be one of " + strings.Join(sshKeyTypes, ", ")
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "the key body is not base64"
	}
	parts, ok := sshStrings(blob)
	if !ok || len(parts) == 0 || string(parts[0]) != typ {
		return "the key body does not match its type " + typ
	}
	switch {
	case typ == "ssh-rsa":
		// RFC 4253: string "ssh-rsa", mpint e, mpint n.
		if len(parts) != 3 {
			return "the RSA key body is malformed"
		}
		if bits := new(big.Int).SetBytes(parts[2]).BitLen(); bits < minRSABits {
			return fmt.Sprintf("RSA keys must have at least %d bits", minRSABits)
		}
	case typ == "ssh-ed25519":
		// RFC 8709: string "ssh-ed25519", string key (32 bytes).
		if len(parts) != 2 || len(parts[1]) != ed25519.PublicKeySize {
			return "the ed25519 key body is malformed"
		}
	default:
		// RFC 5656: string type, string curve, string Q (the point, at least 65 bytes).
		if len(parts) != 3 || len(parts[2]) < 65 {
			return "the ECDSA key body is malformed"
		}
	}
	return ""
}

// sshStrings splits an SSH wire-format blob into its length-prefixed strings.
func sshStrings(b []byte) ([][]byte, bool) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		b = b[4:]
		if uint32(len(b)) < n {
			return nil, false
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out, true
}

// now is replaced in tests.
var now = time.Now

// validateTLS checks the provided certificate; letsencrypt mode has none to check.
func validateTLS(c Config) Problems {
	var probs Problems
	if c.TLSMode() != TLSModeProvided {
		return nil
	}
	if !c.TLSCertificate.Set() || !c.TLSPrivateKey.Set() {
		if !c.TLSCertificate.Set() {
			probs.add("tlsCertificate", "", "is required with tls.mode provided: pulumi config set --secret tlsCertificate < fullchain.pem")
		}
		if !c.TLSPrivateKey.Set() {
			probs.add("tlsPrivateKey", "", "is required with tls.mode provided: pulumi config set --secret tlsPrivateKey < privkey.pem")
		}
		return probs
	}
	leaf, err := parseLeaf(c.TLSCertificate.reveal())
	if err != nil {
		probs.add("tlsCertificate", "", err.Error())
		return probs
	}
	key, err := parsePrivateKey(c.TLSPrivateKey.reveal())
	if err != nil {
		probs.add("tlsPrivateKey", "", err.Error())
	} else if !publicKeyMatches(leaf.PublicKey, key) {
		probs.add("tlsPrivateKey", "", "does not belong to the first certificate in tlsCertificate")
	}
	if now().After(leaf.NotAfter) {
		probs.add("tlsCertificate", "", fmt.Sprintf("expired on %s", leaf.NotAfter.Format(time.DateOnly)))
	}
	if now().Before(leaf.NotBefore) {
		probs.add("tlsCertificate", "", fmt.Sprintf("is not valid before %s", leaf.NotBefore.Format(time.DateOnly)))
	}
	for i, s := range c.Sites {
		for j, h := range s.Hosts {
			if isDNSName(h) && leaf.VerifyHostname(h) != nil {
				probs.add(fmt.Sprintf("sites[%d].hosts[%d]", i, j), h,
					"is not covered by tlsCertificate (it covers "+strings.Join(leaf.DNSNames, ", ")+")")
			}
		}
	}
	return probs
}

// parseLeaf returns the first certificate of a PEM chain. Errors describe the shape only.
func parseLeaf(chain string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(chain))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("must be a PEM certificate chain starting with -----BEGIN CERTIFICATE-----")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the first certificate does not parse as X.509")
	}
	return cert, nil
}

func parsePrivateKey(s string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, fmt.Errorf("must be a PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if signer, ok := k.(crypto.Signer); ok {
			return signer, nil
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, fmt.Errorf("is not an unencrypted PKCS#8, PKCS#1 or EC private key")
}

func publicKeyMatches(pub crypto.PublicKey, key crypto.Signer) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch p := pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		e, ok := p.(equaler)
		return ok && e.Equal(key.Public())
	}
	return false
}
