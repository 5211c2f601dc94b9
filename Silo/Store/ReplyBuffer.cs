using System.Buffers;
using System.Runtime.CompilerServices;
using Garnet.networking;

namespace ImActors.Silo.Store;

/// <summary>
/// The "network" of an in-process store session: the session writes its replies into <see cref="_buffer"/> and
/// hands each filled part to <see cref="SendResponse(int, int)"/>, which keeps it for the caller instead of
/// writing it to a socket.
/// </summary>
internal sealed unsafe class ReplyBuffer : INetworkSender
{
    private readonly byte[] _buffer;
    private readonly byte* _head;
    private readonly ArrayBufferWriter<byte> _reply = new(256);

    public ReplyBuffer()
    {
        GetMaxSizeSettings = new MaxSizeSettings();
        // Pinned for the session's lifetime: the session writes through raw pointers into it.
        _buffer = GC.AllocateArray<byte>(BufferSizeUtils.ServerBufferSize(GetMaxSizeSettings), pinned: true);
        _head = (byte*)Unsafe.AsPointer(ref _buffer[0]);
    }

    /// <summary>What the session answered since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Reply => _reply.WrittenSpan;

    public void Clear() => _reply.ResetWrittenCount();

    public bool SendResponse(int offset, int size)
    {
        _reply.Write(_buffer.AsSpan(offset, size));
        return true;
    }

    public void SendResponse(byte[] buffer, int offset, int count, object context) => _reply.Write(buffer.AsSpan(offset, count));

    public MaxSizeSettings GetMaxSizeSettings { get; }

    public string RemoteEndpointName => "in-process";

    public string LocalEndpointName => "in-process";

    public bool IsLocalConnection() => true;

    public void EnterAndGetResponseObject(out byte* head, out byte* tail)
    {
        head = _head;
        tail = _head + _buffer.Length;
    }

    public byte* GetResponseObjectHead() => _head;

    public byte* GetResponseObjectTail() => _head + _buffer.Length;

    // One caller at a time (the pool hands a session to one thread), and the buffer is reused after every send:
    // there is nothing to enter, exit, return or flush.
    public void Enter()
    {
    }

    public void Exit()
    {
    }

    public void ExitAndReturnResponseObject()
    {
    }

    public void GetResponseObject()
    {
    }

    public void ReturnResponseObject()
    {
    }

    public void SendCallback(object context)
    {
    }

    public void Throttle()
    {
    }

    public void DisposeNetworkSender(bool waitForSendCompletion)
    {
    }

    public bool TryClose() => false;

    public void Dispose()
    {
    }
}
