using Scriban.Runtime;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// The variables and functions a template defines while it renders: fresh for every render, and refusing a name
/// the builtins or the model already use, so <c>{{ string = 1 }}</c> or <c>{{ client = 1 }}</c> is an error rather
/// than a silent shadow.
/// </summary>
/// <remarks>Made without importing this type's static members, which a class derived from <see cref="ScriptObject"/>
/// otherwise does by reflection on every construction (it declares none): a sixth of each render's time.</remarks>
internal sealed class RenderGlobals(ScriptObject builtins, ScriptObject model) : ScriptObject(4, autoImportStaticsFromThisType: false, StringComparer.Ordinal)
{
    public override bool CanWrite(string member) =>
        !builtins.ContainsKey(member) && !model.ContainsKey(member) && base.CanWrite(member);
}
