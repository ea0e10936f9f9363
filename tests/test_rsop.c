/* stub: being written */
#include "gp-test.h"

static void test_placeholder_rsop(void)
{
  CU_PASS("stub");
}

static const GpTestCase cases[] = {
  GP_TEST(test_placeholder_rsop),
};
GP_TEST_MAIN("rsop", cases)
