package expr

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
)

// md5Hex appends the lowercase hex MD5 of s.
func md5Hex(buf []byte, s string) []byte {
	sum := md5.Sum([]byte(s))
	return hex.AppendEncode(buf, sum[:])
}

// sha2Impl is SHA2(s, bits): 224, 256, 384 or 512 (0 means 256); any other
// length gives NULL, as in MySQL.
func sha2Impl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	data := []byte(s[0])
	switch n[0] {
	case 0, 256:
		sum := sha256.Sum256(data)
		return hex.AppendEncode(buf, sum[:]), 0, true
	case 224:
		sum := sha256.Sum224(data)
		return hex.AppendEncode(buf, sum[:]), 0, true
	case 384:
		sum := sha512.Sum384(data)
		return hex.AppendEncode(buf, sum[:]), 0, true
	case 512:
		sum := sha512.Sum512(data)
		return hex.AppendEncode(buf, sum[:]), 0, true
	}
	return buf, 0, false
}
