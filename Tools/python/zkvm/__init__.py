"""zkvm for Python: prove that a model, run on an input, produced an output.

Every CLI command has a typed function returning a dataclass parsed from
its versioned `--json` output (Spec/cli-json.md); failures raise ZkvmError
(InvalidProofError for a rejected proof) with the CLI's message and exit
code. One-call flows: `prove_model`, `prove_batch`, `zkvm.sklearn.prove`
and `zkvm.torch.prove`.
"""
from .commands import (assemble, bench, commit, execute, export_vk, import_model, input_data, prove, trace_rows,
                       verify)
from .errors import InvalidProofError, SchemaError, SourceLocation, ZkvmError, ZkvmNotFoundError
from .flows import prove_batch, prove_model
from . import sklearn, torch  # noqa: E402  (the one-call doors; each imports its framework lazily)
from .results import (AssembleResult, BenchResult, CommitResult, ExecResult, ImportResult, Layer, ModelRun, Phase, Port,
                      Progress, ProveResult, Tensor, TraceRows, VerificationKeyResult, VerifyResult)
from ._runner import binary

#: `zkvm exec` under its CLI name (the function is `execute`).
exec = execute  # noqa: A001

__version__ = "0.1.0"
__all__ = [
    "assemble", "bench", "binary", "commit", "exec", "execute", "export_vk", "import_model", "input_data", "prove",
    "prove_batch", "prove_model", "trace_rows", "verify", "InvalidProofError", "SchemaError", "SourceLocation",
    "ZkvmError", "ZkvmNotFoundError", "AssembleResult", "BenchResult", "CommitResult", "ExecResult", "ImportResult",
    "Layer", "ModelRun", "Phase", "Port", "Progress", "ProveResult", "Tensor", "TraceRows", "VerificationKeyResult",
    "VerifyResult",
]
