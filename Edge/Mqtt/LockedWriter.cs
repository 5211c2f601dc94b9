using System.Buffers;
using System.IO.Pipelines;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// A pipe writer that two loops share: a <see cref="PipeWriter"/> takes one writer at a time, and an MQTT connection
/// has replies from the packet reader (SUBACK, UNSUBACK) as well as the translated session output.
/// </summary>
internal sealed class LockedWriter(PipeWriter output)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Writes and flushes; false once the reader is gone.</summary>
    public async ValueTask<bool> WriteAsync(Action<IBufferWriter<byte>> write)
    {
        await _lock.WaitAsync();
        try
        {
            write(output);
            return !(await output.FlushAsync()).IsCompleted;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Completed by the other side of the connection already.
            return false;
        }
        finally
        {
            _lock.Release();
        }
    }

    public ValueTask<bool> WriteAsync(byte[] bytes) => WriteAsync(o => o.Write(bytes));

    /// <summary>Writes without the caller waiting: for a loop that must not block on the pipe it would be waiting for.</summary>
    public void Post(byte[] bytes) => _ = WriteAsync(bytes).AsTask();

    public async ValueTask CompleteAsync()
    {
        await _lock.WaitAsync();
        try
        {
            await output.CompleteAsync();
        }
        finally
        {
            _lock.Release();
        }
    }
}
