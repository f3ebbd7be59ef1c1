// Package all registers every source connector with exec's registry. The
// CLI and end-to-end tests import it for its side effects:
//
//	import _ "github.com/sqlstream/sqlstream/sources/all"
package all

import (
	_ "github.com/sqlstream/sqlstream/sources/datagen" // 'datagen'
	_ "github.com/sqlstream/sqlstream/sources/file"    // 'file'
	_ "github.com/sqlstream/sqlstream/sources/kafka"   // 'kafka'
)
