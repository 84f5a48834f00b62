// swift-tools-version:6.1
//
// zkvm — zero-knowledge proofs of ML model execution.
//
// Module graph (A → B: A depends on B; all one-way):
//
//   Parallel    → CMalloc (glibc's mallopt)
//   Polynomials → Field, Parallel
//   Hashing     → CLibCrypto
//   Commitments → Field, Hashing, Parallel
//   Transcript  → Field, Hashing, Parallel
//   AlgebraicHashing → Field, Hashing (Poseidon2, the weight sponge and commitment)
//   AIR         → Field, Parallel
//   STARK       → AIR, Polynomials, Commitments, Transcript (options, proof format, FRI plan, security)
//   Prover      → STARK
//   Verifier    → STARK (never the prover or the VM)
//   VMArithmetization → AIR, STARK, ISA, AlgebraicHashing (the VM's tables and statement; shared by prover and verifier)
//   ProofFiles  → VMArithmetization, STARK (file formats: proofs, keys, commitments, segment parts)
//   VMProver    → VMArithmetization, ProofFiles, Prover, VM
//   VMVerifier  → VMArithmetization, ProofFiles, Verifier
//   ISA         → Field (byte coding), Hashing (program digest)
//   Assembler   → ISA
//   ONNXProto   → SwiftProtobuf (generated from onnx.proto by Tools/gen_onnx_proto.sh)
//   Importer    → ONNXProto, ISA (ONNX graphs → .zkasm, calibrated fixed point)
//   Trace       → CZstd, Hashing
//   VM          → ISA, Trace
//   zkvm (CLI)  → all of the above, ArgumentParser
//   TestSupport (oracles: GMP, naive DFT, reference SHA-256) → Field, CGMP, Crypto
//
// Set ZKVM_NATIVE=1 to build for this machine's CPU only (`-target-cpu native`);
// the default build is portable and already branch-free in its hot loops.
import PackageDescription
import class Foundation.ProcessInfo

let nativeCPU = ProcessInfo.processInfo.environment["ZKVM_NATIVE"] == "1"
let hotSettings: [SwiftSetting] = nativeCPU ? [.unsafeFlags(["-target-cpu", "native"])] : []

let package = Package(
    name: "zkvm",
    products: [
        .executable(name: "zkvm", targets: ["zkvm"]),
        .library(name: "Field", targets: ["Field"]),
        .library(name: "Polynomials", targets: ["Polynomials"]),
        .library(name: "Hashing", targets: ["Hashing"]),
        .library(name: "Commitments", targets: ["Commitments"]),
        .library(name: "Transcript", targets: ["Transcript"]),
        .library(name: "ISA", targets: ["ISA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CGMP", path: "Sources/CGMP",
                       providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // Core layers.
        .target(name: "Parallel", dependencies: ["CMalloc"], swiftSettings: hotSettings),
        .target(name: "Field", swiftSettings: hotSettings),
        .target(name: "Polynomials", dependencies: ["Field", "Parallel"], swiftSettings: hotSettings),
        .target(name: "Hashing", dependencies: ["CLibCrypto"], swiftSettings: hotSettings),
        .target(name: "Commitments", dependencies: ["Field", "Hashing", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "Transcript", dependencies: ["Field", "Hashing", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "AlgebraicHashing", dependencies: ["Field", "Hashing"], swiftSettings: hotSettings),

        // Proof system.
        .target(name: "AIR", dependencies: ["Field", "Parallel"], swiftSettings: hotSettings),
        .target(name: "STARK", dependencies: ["AIR", "Field", "Polynomials", "Hashing", "Commitments", "Transcript", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "Prover", dependencies: ["STARK", "AIR", "Field", "Polynomials", "Hashing", "Commitments", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "Verifier", dependencies: ["STARK", "AIR", "Field", "Polynomials", "Hashing", "Commitments"],
                swiftSettings: hotSettings),

        // The VM's arithmetization (shared by prover and verifier) and its witness.
        .target(name: "VMArithmetization", dependencies: ["AIR", "STARK", "ISA", "Field", "Hashing", "AlgebraicHashing", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "ProofFiles", dependencies: ["VMArithmetization", "STARK", "ISA", "Field", "Hashing", "AlgebraicHashing", "Parallel"]),
        .target(name: "VMProver", dependencies: ["VMArithmetization", "ProofFiles", "Prover", "STARK", "AIR", "VM", "ISA", "Field", "Hashing", "AlgebraicHashing", "Parallel"],
                swiftSettings: hotSettings),
        .target(name: "VMVerifier", dependencies: ["VMArithmetization", "ProofFiles", "Verifier", "STARK", "ISA", "Hashing", "AlgebraicHashing"]),

        // The ML bytecode.
        .target(name: "ISA", dependencies: ["Field", "Hashing"], swiftSettings: hotSettings),

        .target(name: "Assembler", dependencies: ["ISA"]),
        .target(name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "Importer", dependencies: ["ONNXProto", "ISA"]),
        .target(name: "Trace", dependencies: ["CZstd", "Hashing"]),
        .target(name: "VM", dependencies: ["ISA", "Trace"], swiftSettings: hotSettings),

        // Command-line tool.
        .executableTarget(name: "zkvm", dependencies: [
            "Field", "Polynomials", "Hashing", "Commitments", "Transcript", "Parallel", "ISA", "Assembler", "VM", "Trace",
            "STARK", "Prover", "Verifier", "VMArithmetization", "ProofFiles", "VMProver", "VMVerifier", "Importer", "AlgebraicHashing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: hotSettings),

        // Independent oracles for tests only.
        .target(name: "TestSupport", dependencies: [
            "CGMP", "Field",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        .testTarget(name: "FieldTests", dependencies: ["Field", "TestSupport"]),
        .testTarget(name: "PolynomialsTests", dependencies: ["Polynomials", "TestSupport"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "TestSupport"]),
        .testTarget(name: "AlgebraicHashingTests", dependencies: ["AlgebraicHashing", "Field"]),
        .testTarget(name: "CommitmentsTests", dependencies: ["Commitments", "TestSupport"]),
        .testTarget(name: "TranscriptTests", dependencies: ["Transcript", "TestSupport"]),
        .testTarget(name: "AIRTests", dependencies: ["AIR", "Field", "TestSupport"]),
        .testTarget(name: "ProofSystemTests", dependencies: ["AIR", "STARK", "Prover", "Verifier", "Field", "TestSupport"]),
        .testTarget(name: "VMProofTests", dependencies: ["VMProver", "VMVerifier", "VMArithmetization", "ProofFiles", "Prover", "Verifier",
                                                         "STARK", "AIR", "Assembler", "ISA", "VM", "Field", "Hashing", "AlgebraicHashing"]),
        .testTarget(name: "ProofFilesTests", dependencies: ["ProofFiles", "VMArithmetization", "STARK", "ISA", "Assembler", "Field",
                                                            "Hashing", "AlgebraicHashing"]),
        .testTarget(name: "ISATests", dependencies: ["ISA", "TestSupport"]),
        .testTarget(name: "AssemblerTests", dependencies: ["Assembler", "ISA", "VM", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "TraceTests", dependencies: ["Trace", "VM", "ISA", "Assembler"]),
        .testTarget(name: "VMTests", dependencies: ["VM", "ISA", "Assembler", "TestSupport"]),
        .testTarget(name: "ImporterTests", dependencies: ["Importer", "ONNXProto", "Assembler", "ISA", "VM", "VMProver", "VMVerifier", "VMArithmetization", "STARK"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["zkvm", "Trace"], exclude: ["Golden"]),
    ]
)
