/** A time-zone text input with the runtime's IANA zones as suggestions. */
export function TimeZoneInput({ defaultValue = "UTC" }: { defaultValue?: string }) {
  const zones = Intl.supportedValuesOf("timeZone");
  return (
    <>
      <input name="timezone" defaultValue={defaultValue} list="ns-time-zones" required autoComplete="off" />
      <datalist id="ns-time-zones">
        {["UTC", ...zones.filter((z) => z !== "UTC")].map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
