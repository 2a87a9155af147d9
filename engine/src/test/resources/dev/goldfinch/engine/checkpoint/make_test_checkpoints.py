"""Writes the small synthetic .pth files next to this script (python3 make_test_checkpoints.py).

torch is not needed: torch.save pickles with the standard library Pickler, a persistent_id hook that
turns each storage into ('storage', <storage class>, '<key>', '<location>', numel), and
Tensor.__reduce_ex__ returning (torch._utils._rebuild_tensor_v2, (storage, offset, size, stride,
requires_grad, OrderedDict())). Stand-in modules named like torch's make the same Pickler emit the
same opcodes. These files cover what the real fixtures do not: a state_dict() OrderedDict carrying
_metadata (BUILD), views sharing one storage, a 0-dim tensor, odd strides on size-1 dims, fp16,
pickle protocol 4, and the newer _rebuild_tensor_v3 form (UntypedStorage + dtype).
"""
import collections, io, os, pickle, struct, sys, types, zipfile

torch = types.ModuleType('torch'); torch_utils = types.ModuleType('torch._utils')
torch_storage = types.ModuleType('torch.storage')
sys.modules.update({'torch': torch, 'torch._utils': torch_utils, 'torch.storage': torch_storage})

def _rebuild_tensor_v2(*args): raise AssertionError('never called')
def _rebuild_tensor_v3(*args): raise AssertionError('never called')
for f, m in ((_rebuild_tensor_v2, torch_utils), (_rebuild_tensor_v3, torch_utils)):
    f.__module__ = m.__name__; setattr(m, f.__name__, f)

def storage_class(name, module):
    cls = type(name, (), {}); cls.__module__ = module.__name__; setattr(module, name, cls); return cls
FloatStorage = storage_class('FloatStorage', torch)
BFloat16Storage = storage_class('BFloat16Storage', torch)
HalfStorage = storage_class('HalfStorage', torch)
UntypedStorage = storage_class('UntypedStorage', torch_storage)

class DType:  # torch.dtype pickles as the global torch.<name>
    def __init__(self, name): self.name = name; setattr(torch, name, self)
    def __reduce__(self): return self.name
DType.__module__ = 'torch'
bfloat16 = DType('bfloat16')

class Storage:
    def __init__(self, cls, key, numel, payload): self.cls, self.key, self.numel, self.payload = cls, key, numel, payload

class Tensor:
    def __init__(self, storage, offset, size, stride, dtype=None):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())
        self.v3 = dtype is not None
        if self.v3: self.args += (dtype,)
    def __reduce_ex__(self, proto):
        return (_rebuild_tensor_v3 if self.v3 else _rebuild_tensor_v2, self.args)

def save(path, top, state_dict, storages, protocol=2):
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=protocol)
    p.persistent_id = lambda o: ('storage', o.cls, o.key, 'cpu', o.numel) if isinstance(o, Storage) else None
    p.dump(state_dict)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        z.writestr(top + '/data.pkl', buf.getvalue())
        for s in storages: z.writestr(top + '/data/' + s.key, s.payload)
        z.writestr(top + '/version', '3\n')

def f32(*v): return struct.pack('<%df' % len(v), *v)
def bf16(*v): return b''.join(struct.pack('<I', struct.unpack('<I', struct.pack('<f', x))[0])[2:] for x in v)
def f16(*v): return struct.pack('<%de' % len(v), *v)

here = os.path.dirname(os.path.abspath(__file__))
s0 = Storage(FloatStorage, '0', 12, f32(*[float(i) for i in range(12)]))        # 0..11
s1 = Storage(FloatStorage, '1', 1, f32(2.5))
s2 = Storage(FloatStorage, '2', 4, f32(-1.0, -2.0, -3.0, -4.0))
s3 = Storage(HalfStorage, '3', 6, f16(0.5, 1.5, -2.0, 65504.0, 0.25, -0.125))
s4 = Storage(BFloat16Storage, '4', 5, bf16(1.0, -1.0, 3.0, 0.5, 256.0))
sd = collections.OrderedDict()
sd['a.weight'] = Tensor(s0, 0, (3, 4), (4, 1))
sd['a.tail'] = Tensor(s0, 4, (2, 4), (4, 1))          # a view into the same storage
sd['b.scale'] = Tensor(s1, 0, (), ())                 # 0-dim
sd['c.mix'] = Tensor(s2, 0, (1, 1, 4), (99, 4, 1))    # size-1 dims: their strides do not matter
sd['d.half'] = Tensor(s3, 0, (2, 3), (3, 1))
sd['e.bf16'] = Tensor(s4, 0, (5,), (1,))
sd._metadata = collections.OrderedDict([('', {'version': 1}), ('a', {'version': 1})])  # as nn.Module.state_dict()
storages = [s0, s1, s2, s3, s4]
save(os.path.join(here, 'state-dict-metadata.pth'), 'archive', sd, storages)
save(os.path.join(here, 'protocol4.pth'), 'protocol4', sd, storages, protocol=4)

u = Storage(UntypedStorage, '0', 8, bf16(1.0, 2.0, 3.0, 4.0))      # UntypedStorage numel counts bytes
save(os.path.join(here, 'untyped-v3.pth'), 'untyped-v3',
     collections.OrderedDict([('w', Tensor(u, 0, (2, 2), (2, 1), dtype=bfloat16))]), [u])
