/*
 * bcryptprimitives.dll shim for running Rust test binaries under Wine 8.
 *
 * Rust's std (since 1.78) gets its randomness from ProcessPrng, exported by
 * bcryptprimitives.dll on Windows 10+. Wine only implements that DLL from
 * Wine 9, so under Debian 12's Wine 8 every Rust exe fails to start
 * ("bcryptprimitives.dll not found", exit 53). This shim provides the one
 * function std needs by forwarding to BCryptGenRandom, which Wine 8 has.
 *
 * Test-environment plumbing only: scripts/check builds it with mingw and
 * copies it into the throwaway Wine prefix. It is never shipped.
 */
#include <windows.h>
#include <bcrypt.h>

#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#endif

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* BCryptGenRandom takes a ULONG length: feed large requests in chunks. */
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        NTSTATUS status = BCryptGenRandom(NULL, data, chunk,
                                          BCRYPT_USE_SYSTEM_PREFERRED_RNG);
        if (status != STATUS_SUCCESS)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
