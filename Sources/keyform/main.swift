import Foundation
import KeyformCLI

let code = await CLI.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
